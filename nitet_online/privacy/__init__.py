"""PDPA (พ.ร.บ.คุ้มครองข้อมูลส่วนบุคคล พ.ศ. 2562): consent at registration, a person's download of
their own data, and deletion requests that an administrator carries out by anonymising the account
(content stays, shown as by an anonymous user). The notice itself is core.privacy (/privacy)."""
