"""One module per OData type; import them from `trippin` rather than from here."""
