"""The plugin's code, split into layers: rest <- gptypes <- provider <- jobs <- gui.

See the Architecture section of README.md for what lives in each folder.
"""
