"""The story: resolved mentions assembled into places with quotes, kept and corrected."""
