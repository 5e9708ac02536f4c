"""The training library: competences, self-assessment, exercises, grading and reports."""
