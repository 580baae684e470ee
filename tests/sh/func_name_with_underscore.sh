# The sh corpus (see README.md): func name with underscore, against dash.
my_func_1() { echo underscore; }
my_func_1
