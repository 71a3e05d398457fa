"""Recognition: one spaCy ``nlp`` that finds place mentions in an article."""
