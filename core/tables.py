"""Imports every table module so ``SQLModel.metadata`` holds the whole schema."""

import core.models
import core.models_bank

__all__ = ["core"]
