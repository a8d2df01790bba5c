"""Reading stories: story files and site settings in, a checked model out, each problem with its
line."""
