"""The ``lettrage`` commands of ``tui.cli.audit`` (its parsers)."""

from __future__ import annotations

import argparse

from core.audit.conflicts import action_text
from core.audit.queries import AuditFilter, AuditQueryService, AuditRow, show
from core.i18n import _, ngettext
from tui.cli.context import Context

ACTION_WIDTH = 19


def cmd_audit(args: argparse.Namespace, ctx: Context) -> int:
    service = ctx.services.audit
    flt = AuditFilter(since=args.since, until=args.until, user=args.user.strip(),
                      entity=args.entity.strip(), key=args.key.strip())
    rows = list(service.iterate(flt, limit=args.limit))
    ctx.emit({"entries": [r.as_json() for r in rows]},
             lambda: _text(rows, flt, service))
    return 0


def _text(rows: list[AuditRow], flt: AuditFilter, service: AuditQueryService) -> str:
    if not rows:
        return _nothing(flt, service)
    out: list[str] = []
    for r in rows:
        out.append(f"{r.at_text}  {r.user:<12} {action_text(r.action):<{ACTION_WIDTH}} "
                   f"{r.entity_label} {r.key}")
        out += ["    " + _("{field}: {before} → {after}").format(
            field=c.label, before=show(c.before), after=show(c.after)) for c in r.changes]
        if r.note:
            out.append(f"    {r.note}")
    out.append(ngettext("{count} entry.", "{count} entries.", len(rows)).format(
        count=len(rows)))
    return "\n".join(out)


def _nothing(flt: AuditFilter, service: AuditQueryService) -> str:
    """Say why nothing matched when a filter names an unknown user or kind."""
    if flt.entity and flt.entity not in (known := service.entities()):
        return (_("No audit entries for entity '{entity}'. Entities in the trail: {value}.").format(
                    entity=flt.entity, value=', '.join(known) or _('none yet')))
    if flt.user and flt.user not in (users := service.users()):
        return (_("No audit entries by user '{user}'. Users in the trail: {value}.").format(
                    user=flt.user, value=', '.join(users) or _('none yet')))
    return _("No audit entries match.")
