# The official Odoo 19 image with the OCA addons this project depends on (requirements.txt): bank
# statement import (CAMT) and the reconciliation screen, added without dependency resolution so that none
# of the image's own libraries changes; and ofxparse (OFX import), whose dependencies (lxml, already in the
# image, beautifulsoup4, six) pip only adds where missing.
FROM odoo:19
USER root
COPY requirements.txt /tmp/agency-requirements.txt
RUN grep -E '^odoo-addon-' /tmp/agency-requirements.txt > /tmp/agency-oca.txt \
    && pip3 install --no-cache-dir --no-deps --break-system-packages -r /tmp/agency-oca.txt \
    && pip3 install --no-cache-dir --break-system-packages "$(grep -E '^ofxparse==' /tmp/agency-requirements.txt)" \
    && rm /tmp/agency-requirements.txt /tmp/agency-oca.txt
USER odoo
