"""Where kg runs work beside the main flow: forked processes and the cycle collector paused."""
