"""Matching of incoming bank transfers to open invoices, without a person.

For each imported statement line, in this order:

1. ``reference``: a structured payment reference (RF creditor reference, Norwegian KID, Belgian
   structured communication) whose check digits are valid, equal to the reference of open invoices;
2. ``number``: invoice numbers (client-coded numbers included) found in the free text, whatever the
   spaces, the case and the dashes;
3. ``payer``: the payer's IBAN (exactly) or name (exactly, once normalized) known on one client, and
   the amount equal to one open invoice of that client or to its oldest open invoices together.

Only a certain match is reconciled; anything else is left for the OCA reconciliation screen with ranked
suggestions and why. This model decides; ``agency.bank.reconciler`` writes the decisions and reconciles
(as OCA's ``account_reconcile_oca`` does, in batch), so that the receipts, the statements, the portal
and the reminders follow.
"""

import re
import unicodedata
from collections import defaultdict

from odoo import api, models
from odoo.fields import Domain

from odoo.addons.account.tools.structured_reference import (
    is_valid_structured_reference_be,
    is_valid_structured_reference_iso,
    is_valid_structured_reference_no_se,
    sanitize_structured_reference,
)
from odoo.addons.base.models.res_bank import sanitize_account_number

RF_WRITTEN = re.compile(r"(?<![0-9A-Z])RF\d\d(?:[0-9A-Z]{1,21}|(?: [0-9A-Z]{4})*(?: [0-9A-Z]{1,3})?)(?![0-9A-Z])")
BE_REF = re.compile(r"[+*]{3}\s*\d{3}\s*/\s*\d{4}\s*/\s*\d{5}\s*[+*]{3}")
DIGIT_RUN = re.compile(r"\d{6,25}")
NOT_ALNUM = re.compile(r"[^0-9A-Z]")
LEGAL_WORDS = re.compile(r"\b(?:sa|sas|sarl|srl|bv|nv|gmbh|ag|as|asa|ab|oy|ltd|limited|llc|inc|plc|co)\b")
MAX_SUGGESTIONS = 3
MAX_PREFIX_INVOICES = 50  # invoices of one client tried together (oldest first)


def normalize_number(text):
    """``acme-2026 11-0042`` → ``ACME2026110042``: what survives spaces, case and dashes."""
    return NOT_ALNUM.sub("", (text or "").upper())


def normalize_reference(reference):
    """A structured reference as the bank carries it back: no spaces, no +++/, upper case."""
    return sanitize_structured_reference(reference or "").upper()


def normalize_name(name):
    """``ACME S.A.`` → ``acme``: case, accents, punctuation and legal forms set aside."""
    text = unicodedata.normalize("NFKD", name or "").encode("ascii", "ignore").decode().lower()
    text = re.sub(r"[^0-9a-z]+", " ", text)
    return " ".join(LEGAL_WORDS.sub(" ", text).split())


def written_rf_references(text):
    """The RF creditor references written in ``text``, each as ``(candidates, following)``: the
    readings of what is written, longest first, each ending where a group of the print ends
    (``RF18 1234 5`` as printed in groups of four, or in one piece), and for each the next group."""
    upper = re.sub(r"[ \t]+", " ", (text or "").upper())
    for found in RF_WRITTEN.finditer(upper):
        groups = found.group().split(" ")
        yield [("".join(groups[:n]), groups[n] if n < len(groups) else "") for n in range(len(groups), 0, -1)]


def structured_references(text):
    """``(valid, invalid)``: the structured references found in ``text``, normalized; ``invalid`` are
    those that look like one but whose check digits are wrong.

    An RF reference is what is written, not any prefix of it whose check digits happen to fit (about
    one in 97 does): a shorter reading counts only when the group after it is a word (``RF18 1234 5
    PAID``), never when more digits of the same reference follow."""
    valid, invalid = set(), set()
    for readings in written_rf_references(text):
        good = [
            reference
            for reference, following in readings
            if 5 <= len(reference) <= 25
            and is_valid_structured_reference_iso(reference)
            and not following[:1].isdigit()
        ]
        if good:
            valid.add(good[0])
        else:  # as written, up to the first word after it
            written = [reference for reference, following in readings if not following[:1].isdigit()]
            invalid.add(written[-1][:25])
    for found in BE_REF.finditer(text or ""):
        reference = normalize_reference(found.group())
        (valid if is_valid_structured_reference_be(reference) else invalid).add(reference)
    compact = re.sub(r"\s", "", (text or "").upper())
    for run in set(DIGIT_RUN.findall(compact)) | set(DIGIT_RUN.findall(text or "")):
        if is_valid_structured_reference_no_se(run) or is_valid_structured_reference_be(run):
            valid.add(run)
    return valid, invalid


class AgencyBankMatcher(models.AbstractModel):
    _name = "agency.bank.matcher"
    _description = "Bank Transfer Matching"

    # ------------------------------------------------------------------
    # PUBLIC
    # ------------------------------------------------------------------

    @api.model
    def _agency_match(self, st_lines):
        """Match and reconcile what is certain among ``st_lines``; note the rest. Returns the lines
        reconciled. Lines already reconciled, or already decided, are left alone (safe to run again)."""
        todo = st_lines.filtered(lambda line: not line.is_reconciled and not line.agency_match_state)
        reconciled = st_lines.browse()
        for company, lines in todo.grouped("company_id").items():
            decisions = self.with_company(company)._agency_decide(lines)
            reconciled |= self.env["agency.bank.reconciler"].with_company(company)._agency_apply(decisions)
        return reconciled

    # ------------------------------------------------------------------
    # DECIDING (no write)
    # ------------------------------------------------------------------

    @api.model
    def _agency_decide(self, lines):
        """``[(line, decision)]`` for the lines of one company; a decision is a dict with ``state``
        ('auto', 'suggested' or 'none'), ``kind``, ``moves`` (oldest first), ``payer`` and ``note``."""
        company = lines.company_id
        index = self._agency_invoice_index(company)
        payers = self._agency_payers(lines, index)
        decisions = []
        claimed = set()  # invoices an earlier transfer of these lines pays automatically
        for line in lines:
            if line.currency_id.compare_amounts(line.amount, 0) <= 0:
                decisions.append((line, {"state": "none", "kind": False, "moves": [], "payer": False, "note": ""}))
                continue
            decision = self._agency_decide_line(line, index, payers.get(line.id))
            if decision["state"] == "auto":
                taken = [move for move in decision["moves"] if move.id in claimed]
                if taken:
                    # the same invoice paid twice in one file (a duplicate transfer, or two parts): a person looks
                    decision.update(state="suggested", kind=False)
                    decision["note"] = self.env._(
                        "%s is also paid by another transfer of this file: left for a person.",
                        ", ".join(move.name for move in taken),
                    )
                else:
                    claimed.update(move.id for move in decision["moves"])
            decisions.append((line, decision))
        return decisions

    @api.model
    def _agency_invoice_index(self, company):
        """The open customer invoices of ``company`` a transfer may pay, indexed by reference, by
        normalized number and by client."""
        Move = self.env["account.move"]
        domain = (
            Move._agency_open_domain()
            & Domain("move_type", "=", "out_invoice")
            & Domain("payment_state", "in", ("not_paid", "partial"))
            & Domain("company_id", "=", company.id)
        )
        moves = Move.search_fetch(
            domain,
            [
                "name",
                "payment_reference",
                "commercial_partner_id",
                "amount_residual",
                "currency_id",
                "invoice_date_due",
            ],
            order="invoice_date_due, id",
        )
        index = {
            "by_ref": defaultdict(list),
            "by_number": defaultdict(list),
            "by_partner": defaultdict(list),
            "by_amount": defaultdict(list),
        }
        lengths = set()
        for move in moves:
            if move.payment_reference:
                index["by_ref"][normalize_reference(move.payment_reference)].append(move)
            number = normalize_number(move.name)
            if len(number) >= 4:
                index["by_number"][number].append(move)
                lengths.add(len(number))
            index["by_partner"][move.commercial_partner_id.id].append(move)
            index["by_amount"][(move.currency_id.id, move.currency_id.round(move.amount_residual))].append(move)
        index["lengths"] = sorted(lengths)
        return index

    @api.model
    def _agency_payers(self, lines, index):
        """``{line_id: (partner, how)}``: the client a transfer comes from, when it is certain: its IBAN
        is on exactly one client, or (no IBAN known) its name is exactly one client's name."""
        company = lines.company_id
        Bank = self.env["res.partner.bank"]
        numbers = {line.account_number and sanitize_account_number(line.account_number) for line in lines} - {False, ""}
        by_iban = defaultdict(set)
        if numbers:
            for bank in Bank.search_fetch(
                [("sanitized_acc_number", "in", list(numbers)), ("company_id", "in", (False, company.id))],
                ["sanitized_acc_number", "partner_id"],
            ):
                by_iban[bank.sanitized_acc_number].add(bank.partner_id.commercial_partner_id)
        by_name = defaultdict(set)
        if any(line.partner_name for line in lines):
            clients = self.env["res.partner"].browse(list(index["by_partner"]))
            for client in clients:
                by_name[normalize_name(client.name)].add(client)
        payers = {}
        for line in lines:
            number = line.account_number and sanitize_account_number(line.account_number)
            partners = by_iban.get(number) if number else None
            if partners:
                if len(partners) == 1:
                    payers[line.id] = (next(iter(partners)), "iban")
                continue  # an IBAN known on several clients says nothing certain
            name = normalize_name(line.partner_name)
            partners = by_name.get(name) if name else None
            if partners and len(partners) == 1:
                payers[line.id] = (next(iter(partners)), "name")
        return payers

    @api.model
    def _agency_decide_line(self, line, index, payer):
        text = "\n".join(filter(None, [line.payment_ref, line.ref]))
        currency = line.foreign_currency_id or line.currency_id
        amount = line.amount_currency if line.foreign_currency_id else line.amount
        notes = []
        decision = {"state": "none", "kind": False, "moves": [], "payer": payer and payer[0], "note": ""}

        valid, invalid = structured_references(text)
        by_reference = {move for ref in valid for move in index["by_ref"].get(ref, [])}
        if invalid:
            notes.append(self.env._("Reference %s has wrong check digits: not used.", ", ".join(sorted(invalid))))
        by_number = set()
        if not by_reference:
            by_number = self._agency_numbers_in_text(text, index)

        for kind, found_moves in (("reference", by_reference), ("number", by_number)):
            if not found_moves:
                continue
            moves = sorted(found_moves, key=lambda move: (move.invoice_date_due or move.date, move.id))
            clients = {move.commercial_partner_id for move in moves}
            currencies = {move.currency_id for move in moves}
            label = (
                self.env._("structured reference") if kind == "reference" else self.env._("invoice number in the text")
            )
            names = ", ".join(move.name for move in moves)
            if len(clients) > 1:
                notes.append(
                    self.env._("The %(how)s points to invoices of several clients (%(names)s).", how=label, names=names)
                )
            elif currencies != {currency}:
                notes.append(
                    self.env._(
                        "The %(how)s points to %(names)s, in another currency than the transfer (%(currency)s).",
                        how=label,
                        names=names,
                        currency=currency.name,
                    )
                )
            elif line.foreign_currency_id and currency.compare_amounts(
                sum(move.amount_residual for move in moves), amount
            ):
                notes.append(
                    self.env._(
                        "The %(how)s points to %(names)s, but a transfer in a foreign currency is matched only "
                        "for its exact amount.",
                        how=label,
                        names=names,
                    )
                )
            else:
                decision.update(state="auto", kind=kind, moves=moves)
                decision["note"] = self.env._("Matched by %(how)s: %(names)s.", how=label, names=names)
                return decision
            decision.update(state="suggested", kind=False, moves=moves)

        if payer and (by_reference or by_number):
            # the text names invoices that could not be used: the payer's own choice, not a guess by amount
            notes.append(self.env._("Paid by %s, who named other invoices: left for a person.", payer[0].display_name))
        elif payer:
            partner, how = payer
            open_moves = [move for move in index["by_partner"].get(partner.id, []) if move.currency_id == currency]
            found = self._agency_amount_match(open_moves, amount, currency)
            how_label = self.env._("payer's IBAN") if how == "iban" else self.env._("payer's name")
            if found:
                decision.update(state="auto", kind="payer", moves=found)
                decision["note"] = self.env._(
                    "Matched by %(how)s (%(client)s) and amount: %(names)s.",
                    how=how_label,
                    client=partner.display_name,
                    names=", ".join(move.name for move in found),
                )
                return decision
            if open_moves and decision["state"] != "suggested":
                ranked = sorted(
                    open_moves,
                    key=lambda move: (abs(move.amount_residual - amount), move.invoice_date_due or move.date, move.id),
                )[:MAX_SUGGESTIONS]
                decision.update(state="suggested", moves=ranked)
            notes.append(
                self.env._(
                    "Paid by %(client)s (known by its %(how)s); the amount %(amount)s is not that of one open "
                    "invoice nor of its oldest ones together.",
                    client=partner.display_name,
                    how=how_label,
                    amount=currency.format(amount),
                )
            )
        elif decision["state"] != "suggested":
            same_amount = index["by_amount"].get((currency.id, currency.round(amount)), [])
            if same_amount:
                decision.update(state="suggested", moves=same_amount[:MAX_SUGGESTIONS])
                notes.append(
                    self.env._("Unknown payer; same amount as %s.", ", ".join(m.name for m in same_amount[:3]))
                )
            else:
                notes.append(self.env._("Unknown payer, no reference or invoice number found."))
        if decision["state"] == "suggested":
            notes.append(
                self.env._(
                    "Suggested, best first: %s.",
                    "; ".join(
                        f"{move.name} ({move.commercial_partner_id.display_name}, "
                        f"{move.currency_id.format(move.amount_residual)})"
                        for move in decision["moves"]
                    ),
                )
            )
        decision["note"] = " ".join(notes)
        return decision

    @api.model
    def _agency_numbers_in_text(self, text, index):
        """Open invoices whose number appears in ``text`` once spaces, case and dashes are set aside
        (a number followed by another digit is not that number)."""
        compact = normalize_number(text)
        found = set()
        if not compact:
            return found
        by_number = index["by_number"]
        for end in range(1, len(compact) + 1):
            if not compact[end - 1].isdigit() or (end < len(compact) and compact[end].isdigit()):
                continue
            for length in index["lengths"]:
                if length > end:
                    break
                for move in by_number.get(compact[end - length : end], ()):
                    found.add(move)
        # "INV202600012" also ends with "V202600012" of no invoice; but two different numbers where
        # one ends the other (ACME-0012 and XACME-0012) keep only the longer, the one actually written
        return {
            move
            for move in found
            if not any(
                other != move and normalize_number(other.name).endswith(normalize_number(move.name)) for other in found
            )
        }

    @api.model
    def _agency_amount_match(self, moves, amount, currency):
        """The open invoices ``amount`` pays exactly: the one invoice of that amount (when only one has
        it), else the oldest ones together. Empty when nothing fits exactly."""
        same = [move for move in moves if not currency.compare_amounts(move.amount_residual, amount)]
        if len(same) == 1:
            return same
        if same:
            return []  # two invoices of that amount: which one is a guess
        total = 0.0
        for count, move in enumerate(moves[:MAX_PREFIX_INVOICES], start=1):
            total += move.amount_residual
            if count > 1 and not currency.compare_amounts(total, amount):
                return moves[:count]
            if currency.compare_amounts(total, amount) > 0:
                break
        return []
