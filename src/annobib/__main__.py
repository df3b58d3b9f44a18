from annobib.cli.entry import main

main()
