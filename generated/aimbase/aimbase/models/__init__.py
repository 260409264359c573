"""One module per OData type; import them from `aimbase` rather than from here."""
