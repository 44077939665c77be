"""Transcriptions: error rates of a transcription against its original, and collation of several copies."""
