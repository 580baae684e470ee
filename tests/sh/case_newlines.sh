# The sh corpus (see README.md): case newlines, against dash.
case "two words" in
  two\ words)
    echo escaped
    ;;
esac
