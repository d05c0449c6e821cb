"""``lettrage predict train|evaluate|show|refresh`` and ``load payment-history``."""

from __future__ import annotations

from typing import Any

from core.i18n import N_, _
from tui.cli.argtypes import later

RUN = "tui.cli.prediction_run"


TEXT = {
    "train": N_("train the model on the closed invoices now and print its quality report"),
    "evaluate": N_("measure a model trained now on the newest invoices (stores nothing)"),
    "show": N_("the prediction of every open invoice not yet due"),
    "refresh": N_("for cron: retrain when closed invoices grew 10 %%, then score open invoices"),
    "drafts": N_("the prediction of unposted sales invoices, as known on their posting date"),
    "none": N_("No open invoice not yet due has a prediction."),
    "no_drafts": N_("No unposted sales invoice."),
}


def register(sub: Any) -> None:
    p = sub.add_parser("predict", help=N_("late payment prediction (a local, explained model)"))
    verbs = p.add_subparsers(dest="verb", metavar="VERB", required=True,
                             parser_class=type(p))
    for verb, func in (("train", later(RUN, "cmd_train")), ("evaluate", later(RUN, "cmd_evaluate")),
                       ("refresh", later(RUN, "cmd_refresh"))):
        v = verbs.add_parser(verb, help=_(TEXT[verb]))
        v.add_argument("--json", action="store_true")
        v.set_defaults(func=func)
    v = verbs.add_parser("show", help=_(TEXT["show"]))
    v.add_argument("--customer", metavar="NO")
    v.add_argument("--late", action="store_true", help=N_("only those predicted late"))
    v.add_argument("--json", action="store_true")
    v.set_defaults(func=later(RUN, "cmd_show"))
    v = verbs.add_parser("drafts", help=_(TEXT["drafts"]))
    v.add_argument("--document", metavar="NO", help=N_("one unposted sales invoice"))
    v.add_argument("--customer", metavar="NO")
    v.add_argument("--json", action="store_true")
    v.set_defaults(func=later(RUN, "cmd_drafts"))
