"""Assessment: the question bank of a course (questions with immutable versions), its Excel and QTI 3.0
exchange; attempts, exams and grading build on it."""
