import logging

from odoo import api, models
from odoo.fields import Command

_logger = logging.getLogger(__name__)


class AgencyBillingRun(models.Model):
    """Pre-filling: the invoice lines get, before ``account.move.create``, the values Odoo would
    compute for them (analytics, amounts, tax tags, accounts, ...), so that creating many invoices
    does not compute and write them line by line.

    It leans on Odoo's internals (the tax engine's helpers, precomputed fields), so an Odoo
    upgrade is most likely to break it: everything goes through ``_prefill_invoice_lines``,
    and ``tests/test_billing_run_prefill.py`` checks that invoices made with it are exactly those
    Odoo makes without it.
    """

    _inherit = "agency.billing.run"

    def _prefill_invoice_lines(self, vals_list):
        """Give the lines of these invoices (``account.move`` create values, changed in place) the
        values Odoo would compute for them. An optimisation only: an invoice whose values cannot be
        pre-filled is left to Odoo (logged), whatever the others do."""
        if not vals_list:
            return
        analytic_models = self._has_analytic_models()
        prototypes = {}  # Odoo's values for lines of the same kind, shared by the batch's invoices
        for vals in vals_list:
            try:
                if not analytic_models:
                    self._set_line_analytics(vals)
                if self._set_line_amounts(vals):
                    self._set_line_precomputed(vals, prototypes)
            except Exception:
                _logger.warning("Billing run %s: invoice lines left to Odoo", self.id, exc_info=True)

    def _has_analytic_models(self):
        """Whether analytic distribution models may apply to the run's invoice lines."""
        return bool(
            self.env["account.analytic.distribution.model"].search_count(
                [("company_id", "in", [self.company_id.id, False])], limit=1
            )
        )

    def _set_line_analytics(self, vals):
        """Without analytic distribution models, give the invoice lines the distribution Odoo would
        compute for them (their order line's) instead of letting Odoo look for models line by line."""
        SaleLine = self.env["sale.order.line"]
        for command in vals.get("invoice_line_ids", []):
            line_vals = command[2]
            if command[0] != Command.CREATE or line_vals.get("display_type", "product") != "product":
                continue
            if "analytic_distribution" not in line_vals:
                sale_line_ids = [link[1] for link in line_vals.get("sale_line_ids", []) if link[0] == Command.LINK]
                line_vals["analytic_distribution"] = SaleLine.browse(sale_line_ids[:1]).analytic_distribution or False

    def _set_line_amounts(self, vals):
        """Give the invoice lines their amounts as Odoo's tax engine computes them on the invoice.

        Odoo creates invoice lines at zero and then writes each of them again with its amounts and
        tax tags (the tax sync of ``account.move``), which is most of the cost of billing many lines.
        With the amounts already right, that sync finds nothing to write. All or nothing: only
        customer invoices in the company's currency without cash basis taxes, every line computed by
        ``account.tax``'s own helpers; Odoo still computes the tax lines and checks the base lines.
        """
        company = self.company_id
        currency = self.env["res.currency"].browse(vals.get("currency_id"))
        if vals.get("move_type", "out_invoice") != "out_invoice" or currency != company.currency_id:
            return False
        lines_vals = [command[2] for command in vals.get("invoice_line_ids", []) if command[0] == Command.CREATE]
        product_vals = [line_vals for line_vals in lines_vals if line_vals.get("display_type", "product") == "product"]
        AccountTax = self.env["account.tax"]
        # one prefetch for the products and taxes of all the lines, not a query per line
        product_ids = {line_vals.get("product_id") for line_vals in product_vals} - {None, False}
        products = self.env["product.product"].browse(product_ids)
        product_by_id = {product.id: product for product in products}
        tax_ids_by_line = [self._command_ids(line_vals.get("tax_ids") or []) for line_vals in product_vals]
        if None in tax_ids_by_line:
            return False
        all_taxes = AccountTax.browse({tax_id for tax_ids in tax_ids_by_line for tax_id in tax_ids})
        tax_by_id = {tax.id: tax for tax in all_taxes}
        base_lines = []
        for line_vals, tax_ids in zip(product_vals, tax_ids_by_line, strict=True):
            taxes = AccountTax.union(*(tax_by_id[tax_id] for tax_id in tax_ids))
            if any(tax.tax_exigibility == "on_payment" for tax in taxes.flatten_taxes_hierarchy()):
                return False
            base_lines.append(
                AccountTax._prepare_base_line_for_taxes_computation(
                    None,
                    product_id=product_by_id.get(line_vals.get("product_id"), products.browse()),
                    tax_ids=taxes,
                    price_unit=line_vals.get("price_unit", 0.0),
                    quantity=line_vals.get("quantity", 0.0),
                    discount=line_vals.get("discount", 0.0),
                    currency_id=currency,
                    rate=1.0,
                    sign=-1,
                    is_refund=False,
                    extra_tax_data=line_vals.get("extra_tax_data"),
                )
            )
        AccountTax._add_tax_details_in_base_lines(base_lines, company)
        AccountTax._round_base_lines_tax_details(base_lines, company)
        AccountTax._add_accounting_data_in_base_lines_tax_details(base_lines, company)
        for line_vals, base_line in zip(product_vals, base_lines, strict=True):
            details = base_line["tax_details"]
            amount = details["total_excluded_currency"] + details["delta_total_excluded_currency"]
            balance = details["total_excluded"] + details["delta_total_excluded"]
            line_vals.update(
                {
                    "amount_currency": -currency.round(amount),
                    "balance": -company.currency_id.round(balance),
                    "tax_tag_ids": [Command.set(base_line["tax_tag_ids"].ids)],
                }
            )
        for line_vals in lines_vals:
            if line_vals.get("display_type") in ("line_section", "line_subsection", "line_note"):
                line_vals.update({"amount_currency": 0.0, "balance": 0.0})  # or Odoo writes it again
        return True

    # what an invoice line itself determines; the other values Odoo precomputes depend only on the
    # invoice (company, journal, fiscal position, currency) and on the line's product or section type
    _LINE_AMOUNTS = ("balance", "amount_currency", "debit", "credit")  # see _set_line_amounts
    _LINE_OWN_VALUES = {
        "product": ("display_type", "name", "product_id", "product_uom_id", "quantity", "price_unit", "tax_ids"),
        "line_section": ("display_type", "name"),
        "line_subsection": ("display_type", "name"),
    }

    def _set_line_precomputed(self, vals, prototypes):
        """Give the invoice lines the values that Odoo precomputes for them (account, currency,
        partner, ...), as Odoo computes them, so that creating the invoices does not compute them
        line by line again.

        They are read from Odoo's own computes on a prototype line per product and per section type
        on a draft invoice of the same company, journal, fiscal position and currency, made once for
        all the invoices of a batch (``prototypes``); the partner is the invoice's commercial entity.
        Odoo recomputes the read-only ones (journal, company) itself.
        """
        if self.company_id.account_storno:
            return
        lines_vals = []
        for command in vals.get("invoice_line_ids", []):
            line_vals = command[2]
            kind = line_vals.get("display_type", "product")
            own = self._LINE_OWN_VALUES.get(kind, ())
            if command[0] != Command.CREATE or not own or any(line_vals.get(fname) is None for fname in own):
                continue
            if kind == "product" and not line_vals["product_id"]:
                continue  # no product: Odoo looks for the account in the client's history
            lines_vals.append((line_vals, line_vals["product_id"] if kind == "product" else kind))
        key = (vals.get("journal_id"), vals.get("fiscal_position_id"), vals.get("currency_id"))
        missing = list(dict.fromkeys(kind for _vals, kind in lines_vals if (key, kind) not in prototypes))
        if missing:
            fnames = [
                fname
                for fname, field in self.env["account.move.line"]._fields.items()
                if field.precompute and not field.readonly and fname not in self._LINE_AMOUNTS
            ]
            prototype = self.env["account.move"].new(
                {
                    "move_type": "out_invoice",
                    "company_id": self.company_id.id,
                    "currency_id": vals.get("currency_id"),
                    "fiscal_position_id": vals.get("fiscal_position_id"),
                    **({"journal_id": vals["journal_id"]} if vals.get("journal_id") else {}),
                    "invoice_line_ids": [
                        Command.create(
                            {"display_type": "product", "product_id": kind, "sequence": index}
                            if isinstance(kind, int)
                            else {"display_type": kind, "name": kind, "sequence": index}
                        )
                        for index, kind in enumerate(missing)
                    ],
                }
            )
            for line in prototype.invoice_line_ids:
                prototypes[key, missing[line.sequence]] = {
                    fname: line._fields[fname].convert_to_write(line[fname], line) for fname in fnames
                }
        partner = self.env["res.partner"].browse(vals.get("partner_id")).commercial_partner_id
        for line_vals, kind in lines_vals:
            for fname, value in prototypes[key, kind].items():
                line_vals.setdefault(fname, partner.id if fname == "partner_id" else value)

    @api.model
    def _command_ids(self, commands):
        """The ids set by x2many commands made of SET and LINK only, else None."""
        ids = []
        for command in commands:
            if command[0] == Command.SET:
                ids = list(command[2])
            elif command[0] == Command.LINK:
                ids.append(command[1])
            else:
                return None
        return ids
