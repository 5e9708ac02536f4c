"""The training library: competences, self-assessment, exercises, grading, reports."""
