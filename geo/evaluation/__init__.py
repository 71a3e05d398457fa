"""Evaluation: benchmark scores (EUPEG's protocol) and the story set's gold."""
