from annobib.cli.app import main

main()
