"""Building blocks shared by the screens: base screens, columns, dialogs, lookups."""
