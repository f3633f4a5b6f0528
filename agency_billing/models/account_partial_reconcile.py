from odoo import api, models


class AccountPartialReconcile(models.Model):
    _inherit = "account.partial.reconcile"

    # EXTENDS account: a payment matched with an invoice (by hand, in the bank reconciliation or online)
    # changes the client's statement: have it prepared again for the portal
    @api.model_create_multi
    def create(self, vals_list):
        partials = super().create(vals_list)
        if not self.env.su:
            # a matching is made only of items the user may see: no company's invoice settled from another
            (partials.debit_move_id | partials.credit_move_id).check_access("read")
        if any(partial.debit_move_id.move_id.is_sale_document(include_receipts=True) for partial in partials):
            self.env["agency.statement.document"]._trigger_prepare()
        return partials
