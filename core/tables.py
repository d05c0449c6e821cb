"""Imports every table module so ``SQLModel.metadata`` holds the whole schema."""

import core.collections.models
import core.models
import core.models_audit
import core.models_bank
import core.models_recon

__all__ = ["core"]
