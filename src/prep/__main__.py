from prep.cli import run

run()
