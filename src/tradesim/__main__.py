from tradesim.cli import main

main()
