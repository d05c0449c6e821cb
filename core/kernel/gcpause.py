"""Pause Python's cyclic garbage collector while a batch builds many small objects.

Loading 100,000 open entries, importing a 10,000-line statement or matching 10,000
lines against 100,000 open entries allocates millions of short-lived, acyclic objects
(rows, drafts, candidates, tuples, dicts). Each allocation burst triggers the cyclic
collector, whose older generations walk every tracked object again (a whole match index
included): a third of the run time. Reference counting alone frees these objects, so
the collector is paused for the batch and resumed afterwards, if it was on.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused(freeze: bool = False) -> Iterator[None]:
    """The collector off for the block; ``freeze``: what the block made (modules,
    classes that live as long as the process) is then moved out of the collector's
    later passes (``gc.freeze``), e.g. after importing a command's modules."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            if freeze:
                gc.freeze()
            gc.enable()
