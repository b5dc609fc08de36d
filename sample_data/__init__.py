"""The invented company the app opens with, and the script that writes its files."""
