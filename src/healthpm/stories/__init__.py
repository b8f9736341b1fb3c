"""Story bank: STAR stories tagged with the competencies they prove and the questions
they answer."""
