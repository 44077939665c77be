"""The comparator: find the quoted and copied passages of a document, locate each in its sources, align, judge."""
