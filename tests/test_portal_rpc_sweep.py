"""The web client's JSON-RPC (`/web/dataset/call_kw`) as an attacker uses it: as a portal user of one
client, as a contact kept to its own documents, and as billing staff of a second company, on every model
our addons add or extend: read, search_read, write, create, unlink and every public method our addons
add, with the ids of other clients' and other companies' records. No leak, no server error, nothing
created or changed. A model or a public method added without being listed here fails the sweep."""

import json

from freezegun import freeze_time

from odoo import models
from odoo.service.model import get_public_method
from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.agency_billing_portal.tests.common import AgencyPortalCommon

TODAY = "2026-11-22"
OUR_MODULES = ("agency_billing", "agency_billing_reminders", "agency_billing_portal")
# amounts and texts only other clients and the first company have (names too, for customers: staff of the
# second company may see the clients, partners being shared between companies)
SECRETS = ("7,777.77", "7777.77", "6666.66", "Secret project", "insolvent")
CUSTOMER_SECRETS = ("Globex", "Initech", "Colleague")
# the answers that refuse a call; anything else (KeyError, TypeError...) is a server error
REFUSALS = {
    "odoo.exceptions.AccessError",
    "odoo.exceptions.MissingError",
    "odoo.exceptions.UserError",
    "odoo.exceptions.ValidationError",
    "odoo.exceptions.RedirectWarning",
    "werkzeug.exceptions.BadRequest",
    "builtins.AttributeError",  # a method or field the model does not have (get_public_method)
}
# the ORM's own methods our addons override: swept as read/write/create/unlink above
ORM_METHODS = {"create", "write", "unlink", "read", "copy", "default_get", "search", "web_read", "name_create"}

# Every public method our addons add, by model, with the arguments the sweep calls it with (after the ids).
# A new public method must be listed here (and so swept), or be private (`_` prefix or `@api.private`).
COVERED_METHODS = {
    "account.move": {
        "action_agency_reminder_history": [],
        "action_agency_send_next_step": [],
        "action_agency_reminder_hold_wizard": [],
        "action_agency_view_late_fees": [],
        "action_agency_waive_late_fee": [],
    },
    "account.payment": {"action_agency_print_receipt": []},
    "res.partner": {
        "action_agency_reminder_history": [],
        "action_agency_send_next_step": [],
        "action_agency_reminder_hold_wizard": [],
        "action_agency_open_overdue_invoices": [],
        "action_agency_view_late_fees": [],
        "action_agency_payment_plan_wizard": [],
    },
    "res.config.settings": {
        "action_agency_refresh_suggestions": [],
        "action_agency_evaluate_suggestions": [],
    },
    "agency.billing.run": {"action_preview": [], "action_bill": [], "action_view_invoices": []},
    "agency.recommendation": {
        "action_add_to_next_billing": [],
        "action_request_quote": [],
        "action_dismiss": [],
        "action_add_to_document": [],
    },
    "agency.reminder.hold": {"action_resolve": []},
    "agency.payment.plan": {"action_accept": [], "action_refuse": [], "action_cancel": []},
    "agency.payment.plan.wizard": {"action_confirm": []},
    "agency.autopay.mandate": {"action_turn_off": []},
    "agency.reminder.message": {"action_print_letter": []},
    "agency.reminder.log": {"action_open_message": []},
    "agency.late.client": {
        "action_open_client": [],
        "action_send_next_step": [],
        "action_pause": [],
        "action_promise": [],
        "action_history": [],
    },
    "agency.customer.statement.wizard": {"action_print_pdf": [], "action_export_xlsx": []},
    "agency.recommendation.evaluation": {"action_evaluate": []},
    "agency.billing.run.wizard": {"action_preview": [], "action_bill": [], "action_save": []},
    "account.bank.statement": {"action_agency_matching_lines": []},
    "account.bank.statement.line": {"action_agency_match": []},
    # OCA's import wizard and CAMT parser, which our addon extends (an empty file is refused)
    "account.statement.import": {"import_single_file": ["", {}], "import_single_statement": [("", "", []), {}]},
    "account.statement.import.camt.parser": {"parse_statement": [None, None]},
    "agency.late.fee.waive": {"action_waive": []},
    "agency.reminder.hold.wizard": {"action_confirm": []},
    "agency.reminder.send.wizard": {"action_send": []},
}
# what a create needs beyond the required fields for Odoo to get as far as its access checks
EXTRA_CREATE_VALUES = {"account.partial.reconcile": {"debit_amount_currency": 1.0, "credit_amount_currency": 1.0}}
# models a portal user reads that are not a client's documents
NOT_CLIENT_DOCUMENTS = {"res.partner", "res.company", "res.users"}
# models our addons add or extend whose rows the sweep watches (their tables) besides the swept ones
WATCHED_MODELS = ("mail.message", "mail.activity", "payment.transaction", "account.payment", "sale.order")


def our_models(env):
    """{model name: set of the public methods our addons define on it} for every model they add or extend."""
    found = {}
    for name in env.registry:
        cls = env.registry[name]
        ours = [klass for klass in cls.__mro__ if getattr(klass, "_module", None) in OUR_MODULES]
        if not ours:
            continue
        methods = found.setdefault(name, set())
        model = env[name]
        for klass in ours:
            for attr, value in vars(klass).items():
                if attr.startswith("_") or attr in ORM_METHODS or not callable(value):
                    continue
                try:
                    get_public_method(model, attr)
                except Exception:
                    continue
                methods.add(attr)
    return found


@tagged("post_install", "-at_install")
class TestPortalRpcSweep(AgencyPortalCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with freeze_time(TODAY):
            cls.company_2 = cls.setup_other_company(name="Hyperion Agency")["company"]
            cls.mine = cls._make_invoice(cls.portal_partner, "2026-10-01", [1000.0])
            cls.theirs = cls._make_invoice(
                cls.other_user.partner_id, "2026-10-01", [7000.0, 777.77], sections=["Secret project", "Other"]
            )
            cls.mine._agency_promise_to_pay("2026-12-01", origin="portal")  # the customer's own, to lift
            cls.theirs._agency_claim_paid(reference="Globex ref", origin="portal")
            cls.theirs._agency_pause_reminders("2026-12-20", "Globex is insolvent")
            cls.other_client._agency_pause_reminders("2026-12-20", "Globex insolvent, do not chase")
            paid = cls._make_invoice(cls.other_user.partner_id, "2026-10-03", [7777.77])
            cls._register_payment(paid, payment_date="2026-10-20")
            # a client whose contacts see only their own documents, and a colleague's invoice
            cls.own_client = cls.env["res.partner"].create(
                {"name": "Hooli", "is_company": True, "agency_portal_own_documents": True}
            )
            cls.own_user = cls._create_new_portal_user(login="hooli.portal")
            cls.own_user.partner_id.parent_id = cls.own_client
            cls.colleague = cls.env["res.partner"].create({"name": "Colleague", "parent_id": cls.own_client.id})
            cls.colleague_invoice = cls._make_invoice(cls.colleague, "2026-10-01", [6666.66])
            cls.colleague_invoice._agency_claim_paid(reference="Colleague ref", origin="portal")
            # the first company's figures, and billing staff of the second company only
            cls.foreign_client = cls.env["res.partner"].create({"name": "Initech", "is_company": True})
            cls.staff_2 = new_test_user(
                cls.env,
                login="staff.company2",
                groups="agency_billing.group_agency_billing_user,account.group_account_invoice",
                company_id=cls.company_2.id,
                company_ids=[(6, 0, cls.company_2.ids)],
            )
        # what a relation of a wizard points at when the user may see every record of its model
        cls.fallback_targets = {"res.partner": cls.other_client.ids, "account.move": cls.theirs.ids}
        cls.users = {"portal": cls.portal_user, "own documents": cls.own_user, "staff of company 2": cls.staff_2}

    # ------------------------------------------------------------------ helpers
    def _call(self, model, method, args, kwargs=None):
        payload = {
            "jsonrpc": "2.0",
            "method": "call",
            "id": 1,
            "params": {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        }
        response = self.url_open(
            f"/web/dataset/call_kw/{model}/{method}",
            data=json.dumps(payload),
            headers={"Content-Type": "application/json"},
        )
        self.assertLess(response.status_code, 500, (model, method))
        return response

    def _snapshot(self, models, user):
        """A digest of every row of these models' tables (but, for staff, those they made themselves: staff may
        make records of their own company): any create, write or delete changes it. A customer makes nothing
        by RPC, not even as superuser (a ``sudo()`` create keeps the caller as its author)."""
        self.env.flush_all()
        digest = {}
        for name in models:
            Model = self.env[name]
            if Model._abstract or Model._transient or not Model._auto or Model._table_query:
                continue
            query = f"SELECT count(*), md5(string_agg(t::text, ',' ORDER BY t.id)) FROM \"{Model._table}\" t"
            if not user.share and "create_uid" in Model._fields:
                query += " WHERE t.create_uid IS DISTINCT FROM %s"
            self.env.cr.execute(query, [user.id])
            digest[name] = self.env.cr.fetchone()
        return digest

    def _targets(self, model, user):
        """Up to 3 records of ``model`` the user may not see (other clients', other companies'): the newest."""
        Model = self.env[model].sudo().with_context(active_test=False)
        if Model._abstract or Model._transient:
            return []
        every = Model.search([], order="id desc", limit=300)
        try:
            visible = Model.with_user(user).with_context(active_test=False).search([("id", "in", every.ids)])
        except Exception:
            visible = Model.browse()
        return (every - visible.sudo()).ids[:3]

    def _own(self, model, user):
        """Up to 3 records of ``model`` the customer may read: its own (its invoices, its holds...)."""
        Model = self.env[model].with_user(user)
        if Model._abstract or Model._transient or not Model.has_access("read"):
            return []
        return Model.search([], order="id desc", limit=3).ids

    def _writable_values(self, model, targets):
        """Values for a write and a create: our own stored fields set, relations pointing at ``targets``."""
        Model = self.env[model]
        values = {}
        for name, field in Model._fields.items():
            if name in models.MAGIC_COLUMNS:
                continue
            required = field.required and field.store and not field.compute  # e.g. the invoice of a line
            if not required and (
                field._module not in OUR_MODULES or not field.store or (field.compute and not field.inverse)
            ):
                continue
            sample = {
                "char": "x",
                "text": "x",
                "html": "x",
                "boolean": True,
                "integer": 1,
                "float": 1.0,
                "monetary": 1.0,
                "date": "2026-01-01",
                "datetime": "2026-01-01 00:00:00",
            }.get(field.type)
            if field.type == "selection" and isinstance(field.selection, list) and field.selection:
                sample = field.selection[0][0]
            if field.type == "many2one":
                others = targets.get(field.comodel_name) or self.fallback_targets.get(field.comodel_name) or []
                sample = others[0] if others else None
            if sample is not None:
                values[name] = sample
        return values

    def _check_answer(self, response, what):
        answer = response.json()
        for secret in SECRETS + (CUSTOMER_SECRETS if self.user_under_test.share else ()):
            self.assertNotIn(secret, response.text, what)
        if "error" in answer:
            name = answer["error"].get("data", {}).get("name")
            self.assertIn(name, REFUSALS, (what, answer["error"].get("data", {}).get("message")))
        return answer

    def _sweep_create(self, model, user, values, targets, what):
        """A create pointing at other people's records: refused, or (staff, a wizard) harmless."""
        answer = self._check_answer(self._call(model, "create", [[values]]), (*what, "create"))
        if "error" in answer:
            return
        self.assertFalse(user.share, (*what, "create"))
        made = answer["result"] if isinstance(answer["result"], list) else [answer["result"]]
        if self.env[model]._transient:
            # a wizard of one's own: staff act on their own company's (the snapshot shows nothing else moved)
            for method, args in COVERED_METHODS.get(model, {}).items():
                self._check_answer(self._call(model, method, [made, *args]), (*what, method))
            return
        # staff may make records of their own company, linked to nothing they may not see
        record = self.env[model].with_user(user).browse(made)
        record.check_access("read")
        for name, value in values.items():
            field = record._fields[name]
            if field.type == "many2one" and value in targets.get(field.comodel_name, []):
                self.assertNotEqual(record.sudo()[name].id, value, (*what, "create", name))

    def _sweep_others(self, model, ids, values, what):
        """Read, search, write, unlink, copy and every public method on records the caller may not see."""
        answer = self._check_answer(self._call(model, "read", [ids, ["display_name"]]), (*what, "read"))
        self.assertIn("error", answer, (*what, "read"))
        answer = self._check_answer(
            self._call(model, "search_read", [[("id", "in", ids)], ["display_name"]]), (*what, "search_read")
        )
        self.assertFalse(answer.get("result"), (*what, "search_read"))
        calls = [("write", [values]), ("unlink", []), ("copy", []), *COVERED_METHODS.get(model, {}).items()]
        for method, args in calls:
            for record_id in ids:
                answer = self._check_answer(self._call(model, method, [[record_id], *args]), (*what, method, record_id))
                self.assertIn("error", answer, (*what, method, record_id))

    # ------------------------------------------------------------------ the sweep
    def test_every_model_and_public_method_is_covered(self):
        found = our_models(self.env)
        with_methods = {model: methods for model, methods in found.items() if methods}
        self.assertEqual(
            {model: set(methods) for model, methods in with_methods.items()},
            {model: set(methods) for model, methods in COVERED_METHODS.items()},
            "a public method was added or removed: list it in COVERED_METHODS (it is then swept) or make it private",
        )
        self.assertIn("agency.reminder.hold", found)
        self.assertIn("account.move", found)

    def test_every_client_document_follows_contacts_see_only_their_documents(self):
        """Each model these addons add or extend that a portal user reads and that belongs to a client has a rule
        for clients whose contacts see only their own documents."""
        checked = []
        for model in our_models(self.env):
            Model = self.env[model]
            if model in NOT_CLIENT_DOCUMENTS or Model._abstract or Model._transient:
                continue
            if not Model.with_user(self.own_user).has_access("read"):
                continue
            if not any(field.comodel_name == "res.partner" for field in Model._fields.values() if field.store):
                continue
            checked.append(model)
            rules = self.env["ir.rule"].sudo().search([("model_id.model", "=", model), ("global", "=", True)])
            self.assertTrue(
                any("agency_portal_own_documents" in (rule.domain_force or "") for rule in rules),
                f"{model}: a portal user reads it, and contacts kept to their own documents read all of it",
            )
        self.assertIn("agency.reminder.hold", checked)
        # and the rules hold: the colleague's invoice, lines and holds are not read
        for model, domain in (
            ("account.move", [("partner_id", "=", self.colleague.id)]),
            ("account.move.line", [("move_id.partner_id", "=", self.colleague.id)]),
            ("agency.reminder.hold", [("move_id", "=", self.colleague_invoice.id)]),
        ):
            self.assertTrue(self.env[model].sudo().search(domain), model)
            self.assertFalse(self.env[model].with_user(self.own_user).search(domain), model)

    @freeze_time(TODAY)
    def test_rpc_sweep(self):
        models = sorted(our_models(self.env))
        watched = sorted(set(models) | set(WATCHED_MODELS))
        for label, user in self.users.items():
            self.authenticate(user.login, user.login)
            self.user_under_test = user
            targets = {model: self._targets(model, user) for model in models}
            before = self._snapshot(watched, user)
            for model in models:
                what = (label, model)
                values = {**self._writable_values(model, targets), **EXTRA_CREATE_VALUES.get(model, {})}
                self._sweep_create(model, user, values, targets, what)
                if targets[model]:
                    self._sweep_others(model, targets[model], values, what)
                if user.share:
                    # a customer's own records: staff's actions on them refuse or change nothing (the snapshot)
                    for method, args in COVERED_METHODS.get(model, {}).items():
                        for record_id in self._own(model, user):
                            self._check_answer(self._call(model, method, [[record_id], *args]), (*what, method, "own"))
            after = self._snapshot(watched, user)
            changed = [model for model in watched if before.get(model) != after.get(model)]
            self.assertFalse(changed, f"{label}: records created or changed in {changed}")
        for invoice in self.mine | self.theirs:
            self.assertTrue(invoice.agency_reminder_hold_ids.filtered(lambda hold: hold.state == "open"))
