import AccordCLI

Accord.main()
