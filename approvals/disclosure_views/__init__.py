"""Pages for disclosure (issue 25): FOI cases for FOI officers, decision records for PCC offices, and the public
decision records and per-force transparency pages."""
