# The sh corpus (see README.md): glob in case word, against dash.
mkdir g && cd g && touch zz
case * in zz) echo no-glob-in-case;; \*) echo literal-star;; esac
