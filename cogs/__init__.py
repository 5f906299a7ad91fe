"""The Discord surface: slash commands, views, modals and embed rendering."""
