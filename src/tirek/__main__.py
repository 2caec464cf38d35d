from tirek.cli import main

main()
