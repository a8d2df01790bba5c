"""What a story shows: the matrix, the charts (specs, server-drawn SVG and their tooltips),
social cards and JSON-LD."""
