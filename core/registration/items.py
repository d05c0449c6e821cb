"""Items and service codes for sales lines (not an inventory: no stock, no costing).

A sales line of type ``item`` names an item; the item gives the line its description,
unit price and VAT % when the line leaves them out, and its G/L account takes the
line's amount when the document is posted. Items are edited from the sales screens and
loaded or listed from the command line; every change is audited.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from sqlmodel import Session, col, or_, select

from core.audit import trail as audit
from core.i18n import N_
from core.kernel.errors import NotFoundError, PostingError, Text
from core.kernel.money import ZERO, from_minor, money, to_minor
from core.kernel.store import Store
from core.kernel.users import os_user
from core.ledger.models import GLAccount
from core.registration.models import Item
from core.registration.sales_types import SalesLineInput

ITEM_COLUMNS = ("no", "description", "unit_price", "vat_pct", "gl_account_no")
ITEM = "item"


@dataclass(frozen=True)
class ItemView:
    no: str
    description: str
    unit_price: Decimal
    vat_pct: Decimal
    gl_account_no: str
    blocked: bool = False
    version: int = 0

    def as_dict(self) -> dict[str, object]:
        return {"no": self.no, "description": self.description,
                "unit_price": f"{self.unit_price:.2f}", "vat_pct": str(self.vat_pct),
                "gl_account_no": self.gl_account_no, "blocked": self.blocked}


def _view(i: Item) -> ItemView:
    return ItemView(i.no, i.description, from_minor(i.unit_price), Decimal(i.vat_pct),
                    i.gl_account_no, i.blocked, i.version)


def _check_gl(s: Session, no: str, what: str | Text) -> GLAccount:
    gl = s.get(GLAccount, no)
    if gl is None:
        raise NotFoundError(N_("{what}: G/L account {no} does not exist"), what=what, no=no)
    if gl.account_type != "posting" or gl.blocked:
        raise PostingError(N_("{what}: G/L account {no} ({name}) is not a posting account "
                              "or is blocked"), what=what, no=no, name=gl.name)
    return gl


def item_for_line(s: Session, no: str, what: str | Text) -> Item:
    """The item a sales line names (``what`` says which line), usable for posting."""
    item = s.get(Item, no)
    if item is None:
        raise NotFoundError(N_("{what}: item {no} does not exist"), what=what, no=no)
    if item.blocked:
        raise PostingError(N_("{what}: item {no} ({description}) is blocked"), what=what,
                           no=no, description=item.description)
    _check_gl(s, item.gl_account_no, what)
    return item


def gl_account_of(s: Session, line: SalesLineInput, what: str | Text) -> str:
    """The G/L account a line posts to (its own, or its item's)."""
    return item_for_line(s, line.no, what).gl_account_no if line.line_type == ITEM \
        else line.no


class ItemService:
    def __init__(self, store: Store, user: str | None = None) -> None:
        self.store = store
        self.user = user or os_user()

    def items(self, text: str = "", limit: int = 200) -> list[ItemView]:
        """By no.; ``text`` narrows on no. or description (the F4 lookup)."""
        with self.store.read() as s:
            q = select(Item)
            if text.strip():
                like = f"%{text.strip()}%"
                q = q.where(or_(col(Item.no).ilike(like), col(Item.description).ilike(like)))
            return [_view(i) for i in s.exec(q.order_by(col(Item.no)).limit(limit)).all()]

    def item(self, no: str) -> ItemView:
        with self.store.read() as s:
            item = s.get(Item, no)
            if item is None:
                raise NotFoundError(N_("Item {no} does not exist"), no=no)
            return _view(item)

    def save(self, view: ItemView) -> ItemView:
        """Create or change an item (audited)."""
        return self.save_many([view])[0]

    def save_many(self, views: Sequence[ItemView]) -> list[ItemView]:
        out = []
        with self.store.write() as s:
            for v in views:
                no = v.no.strip().upper()
                if not no or len(no) > 20:
                    raise PostingError(N_("An item no. of 1 to 20 characters is required"))
                if money(v.unit_price) < ZERO or not ZERO <= v.vat_pct <= 100:
                    raise PostingError(N_("Item {no}: the unit price must not be negative "
                                          "and the VAT % must be between 0 and 100"), no=no)
                _check_gl(s, v.gl_account_no, Text(N_("Item {no}"), no=no))
                item = s.get(Item, no)
                old = _view(item) if item is not None else None
                if item is None:
                    item = Item(no=no, gl_account_no=v.gl_account_no)
                    s.add(item)
                else:
                    item.version += 1
                item.description, item.unit_price = v.description, to_minor(money(v.unit_price))
                item.vat_pct, item.gl_account_no = str(v.vat_pct), v.gl_account_no
                item.blocked = v.blocked
                audit.record(s, user=self.user, action="update" if old else "insert",
                             entity="item", key=no, changes={
                                 k: (getattr(old, k) if old else None, getattr(v, k))
                                 for k in ("description", "unit_price", "vat_pct",
                                           "gl_account_no", "blocked")})
                s.flush()
                out.append(_view(item))
        return out

    def line(self, item_no: str, quantity: Decimal, unit_price: Decimal | None = None,
             vat_pct: Decimal | None = None, description: str = "") -> SalesLineInput:
        """A sales line for an item; what the line leaves out comes from the item."""
        item = self.item(item_no.strip().upper())
        return SalesLineInput(item.no, quantity,
                              item.unit_price if unit_price is None else unit_price,
                              item.vat_pct if vat_pct is None else vat_pct,
                              description or item.description, line_type=ITEM)

    def load_csv(self, path: Path) -> list[ItemView]:
        """``no,description,unit_price,vat_pct,gl_account_no``; all rows or none."""
        with path.open(encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            missing = [c for c in ITEM_COLUMNS if c not in (reader.fieldnames or [])]
            if missing:
                raise PostingError(N_("{path}: missing column(s) {columns}"), path=str(path),
                                   columns=", ".join(missing))
            views = []
            for i, row in enumerate(reader, start=2):
                try:
                    price, vat = Decimal(row["unit_price"] or "0"), Decimal(row["vat_pct"] or "0")
                except InvalidOperation:
                    raise PostingError(N_("{path} row {row}: unit_price and vat_pct must be "
                                          "numbers like 12.50"), path=str(path), row=i) from None
                views.append(ItemView(row["no"], row["description"], price, vat,
                                      row["gl_account_no"]))
        return self.save_many(views)
