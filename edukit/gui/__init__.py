"""edukit's Qt interface: windows, panes and dialogs. Everything Qt lives here."""
