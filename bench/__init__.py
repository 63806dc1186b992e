"""Workload generators and benchmark commands; ``results/`` holds the figures."""
