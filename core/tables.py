"""Imports every table module so ``SQLModel.metadata`` holds the whole schema."""

import core.models
import core.models_audit
import core.models_bank
import core.models_recon
import core.prediction.models  # late payment prediction (#22)

__all__ = ["core"]
