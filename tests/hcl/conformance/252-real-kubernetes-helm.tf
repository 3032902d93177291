provider "kubernetes" {
  host                   = var.cluster_endpoint
  cluster_ca_certificate = base64decode(var.cluster_ca)

  exec {
    api_version = "client.authentication.k8s.io/v1beta1"
    command     = "aws"
    args        = ["eks", "get-token", "--cluster-name", var.cluster_name]
  }
}

provider "helm" {
  kubernetes {
    host                   = var.cluster_endpoint
    cluster_ca_certificate = base64decode(var.cluster_ca)
    exec {
      api_version = "client.authentication.k8s.io/v1beta1"
      command     = "aws"
      args        = ["eks", "get-token", "--cluster-name", var.cluster_name]
    }
  }
}

resource "kubernetes_namespace" "apps" {
  for_each = toset(var.namespaces)

  metadata {
    name = each.key
    labels = {
      "app.kubernetes.io/managed-by" = "terraform"
      "istio-injection"              = "enabled"
    }
    annotations = {
      "owner" = var.team
    }
  }
}

resource "kubernetes_deployment_v1" "api" {
  metadata {
    name      = "api"
    namespace = kubernetes_namespace.apps["api"].metadata[0].name
    labels    = { app = "api" }
  }

  spec {
    replicas = var.replicas

    selector {
      match_labels = { app = "api" }
    }

    strategy {
      type = "RollingUpdate"
      rolling_update {
        max_surge       = "25%"
        max_unavailable = 0
      }
    }

    template {
      metadata {
        labels = { app = "api", version = var.image_tag }
      }

      spec {
        service_account_name = "api"

        container {
          name  = "api"
          image = "${var.registry}/api:${var.image_tag}"
          args  = ["--port=8080", "--log-level=${var.log_level}"]

          port {
            container_port = 8080
            name           = "http"
          }

          env {
            name  = "DATABASE_HOST"
            value = var.db_host
          }

          env {
            name = "DATABASE_PASSWORD"
            value_from {
              secret_key_ref {
                name = "db"
                key  = "password"
              }
            }
          }

          resources {
            requests = {
              cpu    = "250m"
              memory = "256Mi"
            }
            limits = {
              memory = "512Mi"
            }
          }

          liveness_probe {
            http_get {
              path = "/healthz"
              port = "http"
            }
            initial_delay_seconds = 10
            period_seconds        = 10
          }

          readiness_probe {
            http_get {
              path = "/ready"
              port = 8080
            }
          }
        }

        affinity {
          pod_anti_affinity {
            preferred_during_scheduling_ignored_during_execution {
              weight = 100
              pod_affinity_term {
                topology_key = "topology.kubernetes.io/zone"
                label_selector {
                  match_labels = { app = "api" }
                }
              }
            }
          }
        }
      }
    }
  }
}

resource "helm_release" "ingress" {
  name             = "ingress-nginx"
  repository       = "https://kubernetes.github.io/ingress-nginx"
  chart            = "ingress-nginx"
  version          = "4.10.0"
  namespace        = "ingress"
  create_namespace = true
  atomic           = true
  timeout          = 600

  values = [
    yamlencode({
      controller = {
        replicaCount = 2
        service = {
          annotations = {
            "service.beta.kubernetes.io/aws-load-balancer-type" = "nlb"
          }
        }
        metrics = { enabled = true }
      }
    }),
    file("${path.module}/values/ingress-${var.environment}.yaml"),
  ]

  set {
    name  = "controller.ingressClassResource.default"
    value = "true"
  }

  set_sensitive {
    name  = "controller.admissionWebhooks.certificate"
    value = var.webhook_cert
  }
}
