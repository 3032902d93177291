locals {
  cloud_init = <<-EOT
    #cloud-config
    package_update: true
    packages:
    %{ for p in var.packages ~}
      - ${p}
    %{ endfor ~}
    write_files:
      - path: /etc/app/config.json
        content: |
          {"env": "${var.environment}", "debug": ${var.debug}}
    runcmd:
      - systemctl enable --now app
    %{ if var.reboot ~}
      - reboot
    %{ endif ~}
  EOT
}
