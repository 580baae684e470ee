# The sh corpus (see README.md): pe assign, against dash.
unset u; e=
echo "${u=one}" "$u"
echo "${e:=two}" "$e"
echo "${e:=three}"
