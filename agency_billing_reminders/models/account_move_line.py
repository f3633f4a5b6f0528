from odoo import models


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    def _agency_section_total(self):
        """The total (taxes included) of the lines under this section, up to the next section."""
        self.ensure_one()
        total, inside = 0.0, False
        for line in self.move_id.invoice_line_ids.sorted(lambda line: (line.sequence, line.id)):
            if line.display_type == "line_section":
                inside = line == self
            elif inside and line.display_type == "product":
                total += line.price_total
        return total
