"""The engine: the stages in order, what is kept between runs, and the worker processes (or
cluster) that draw charts and cards."""
