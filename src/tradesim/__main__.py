from tradesim.console import main

main()
