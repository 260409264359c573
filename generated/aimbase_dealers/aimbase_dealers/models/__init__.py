"""One module per OData type; import them from `aimbase_dealers` rather than from here."""
