user_data = <<EOT
#!/bin/bash
echo "hello"
EOT
