"""The setup a payment reconciliation journal changes from its lines: Map Text to
Account, the text mappings and the rule table (``ReconciliationService`` has them; each
change is audited in its own transaction)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import col, select

from core.audit import trail as audit
from core.i18n import N_, _
from core.kernel.errors import NotFoundError
from core.kernel.store import Store
from core.matching import MatchRule
from core.reconciliation import audit as ra
from core.reconciliation import tools
from core.reconciliation.models import ReconLine, TextToAccountMapping
from core.reconciliation.setup import RULE_ENTITY, load_rules, replace_rules
from core.reconciliation.types import MappingView


class JournalSetupCalls:
    """Text mappings and rules as the journal (and ``lettrage reconcile``) edit them."""

    store: Store
    user: str

    def map_text_to_account(self, line_id: int, mapping_text: str = "", debit_acc_no: str = "",
                            credit_acc_no: str = "", bal_source_type: str = "gl_account",
                            bal_source_no: str = "") -> MappingView:
        """Add a Text-to-Account mapping (default text: the line's transaction text);
        run Apply Automatically again to use it."""
        with self.store.write() as s:
            row = s.get(ReconLine, line_id)
            if row is None:
                raise NotFoundError(N_("Statement line {line_id} does not exist"),
                                    line_id=line_id)
            m = tools.add_mapping(s, mapping_text or row.transaction_text, debit_acc_no,
                                  credit_acc_no, bal_source_type, bal_source_no)
            ra.audit_mapping(s, self.user, "insert", m, _("Map Text to Account from statement "
                                                          "line {line_key}").format(
                                                            line_key=ra.line_key(s, row)))
            return tools.mapping_view(m)

    def text_mappings(self) -> list[MappingView]:
        with self.store.read() as s:
            return [tools.mapping_view(m) for m in s.exec(
                select(TextToAccountMapping).order_by(col(TextToAccountMapping.mapping_text)))]

    def delete_text_mapping(self, mapping_id: int) -> None:
        with self.store.write() as s:
            m = s.get(TextToAccountMapping, mapping_id)
            if m is None:
                raise NotFoundError(N_("Text-to-account mapping {mapping_id} does not exist"),
                                    mapping_id=mapping_id)
            ra.audit_mapping(s, self.user, "delete", m)
            s.delete(m)

    def rules(self) -> list[MatchRule]:
        with self.store.write() as s:
            return sorted(load_rules(s), key=lambda r: -r.score)

    def set_rules(self, rules: Sequence[MatchRule]) -> None:
        with self.store.write() as s:
            before = len(load_rules(s, insert_defaults=False))
            replace_rules(s, rules)
            audit.record(s, user=self.user, action="replace", entity=RULE_ENTITY, key="all",
                         changes={"rules": (before, len(rules))},
                         note=audit.message(N_("The whole rule table was replaced.")))
