"""The case file pages: documents, questions to the submitter, case notes."""
