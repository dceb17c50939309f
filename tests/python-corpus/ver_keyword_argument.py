setup(__version__="kwarg")
