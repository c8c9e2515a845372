"""edukit's core: lesson modules, their Markdown, rendering, search and settings. No Qt here."""
