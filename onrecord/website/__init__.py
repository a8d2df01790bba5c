"""The site's pages and files: story and speaker pages, archive, corrections, embeds, feed,
sitemap, downloads and open data."""
