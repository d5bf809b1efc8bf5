"""Publishing: the gate (may this exact content go out?), rendering for the CMS, the WordPress
client, and importing a live site back into Markdown."""
